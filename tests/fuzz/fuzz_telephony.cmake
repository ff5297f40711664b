# The telephony importers and the engine-state deserializer (included by tests/fuzz/CMakeLists.txt).
set(kpi_fuzz_data "${PROJECT_SOURCE_DIR}/tests/data")
kpi_add_fuzzer(fuzz_asterisk_cdr SOURCE fuzz_telephony.cpp DEFINITIONS KPI_FUZZ_READER=1
               CORPUS "${kpi_fuzz_data}/asterisk/cdr_csv16_outbound.csv" "${kpi_fuzz_data}/asterisk/cdr_csv17_inbound.csv"
                      "${kpi_fuzz_data}/asterisk/cdr_csv18_userfield.csv" "${kpi_fuzz_data}/asterisk/cdr_custom19.csv"
                      "${PROJECT_SOURCE_DIR}/../shared/data/asterisk/cdr_csv_21col_Master.csv")
kpi_add_fuzzer(fuzz_asterisk_queue_log SOURCE fuzz_telephony.cpp DEFINITIONS KPI_FUZZ_READER=2
               CORPUS "${kpi_fuzz_data}/asterisk/queue_log_mixed" "${kpi_fuzz_data}/asterisk/queue_log_mixed_db.csv")
kpi_add_fuzzer(fuzz_freeswitch_cdr SOURCE fuzz_telephony.cpp DEFINITIONS KPI_FUZZ_READER=3
               CORPUS "${kpi_fuzz_data}/freeswitch")
kpi_add_fuzzer(fuzz_engine_load SOURCE fuzz_engine_load.cpp CORPUS "${kpi_fuzz_data}/engine/golden_v1.kpie"
               "${kpi_fuzz_data}/engine/golden_v2.kpie" "${kpi_fuzz_data}/engine/golden_v3.kpie")
