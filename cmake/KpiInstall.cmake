# Install rules: headers, kpi::kpi (static core), kpi::capi (libkpi.so), the CMake package
# (find_package(kpi CONFIG), SameMajorVersion) and kpi.pc for pkg-config users.
include(CMakePackageConfigHelpers)

set(KPI_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/kpi")

install(TARGETS kpi_core kpi_capi
  EXPORT kpi-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/kpi" "${PROJECT_SOURCE_DIR}/capi/include/kpi"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development)
install(FILES "${PROJECT_BINARY_DIR}/include/kpi/version.h"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/kpi" COMPONENT development)

install(EXPORT kpi-targets NAMESPACE kpi:: DESTINATION ${KPI_CMAKE_DIR} COMPONENT development)
export(EXPORT kpi-targets NAMESPACE kpi:: FILE "${PROJECT_BINARY_DIR}/kpi-targets.cmake")

configure_package_config_file(cmake/kpiConfig.cmake.in "${PROJECT_BINARY_DIR}/kpiConfig.cmake"
  INSTALL_DESTINATION ${KPI_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/kpiConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/kpiConfig.cmake" "${PROJECT_BINARY_DIR}/kpiConfigVersion.cmake"
  DESTINATION ${KPI_CMAKE_DIR} COMPONENT development)

# kpi.pc locates the prefix from its own place, so the tree can be installed under any --prefix.
file(RELATIVE_PATH KPI_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(cmake/kpi.pc.in "${PROJECT_BINARY_DIR}/kpi.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/kpi.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
  COMPONENT development)
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/kpi"
  COMPONENT runtime)
