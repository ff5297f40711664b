# Runs COMMAND with the ;-separated ARGS and fails unless its exit code is EXPECTED.
execute_process(COMMAND "${COMMAND}" ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL EXPECTED)
  message(FATAL_ERROR "exit code ${rc}, expected ${EXPECTED}\nstdout: ${out}\nstderr: ${err}")
endif()
message(STATUS "exit code ${rc} as expected")
