# Fresh install of the build tree BUILD_DIR into PREFIX (the fixture of the package tests).
file(REMOVE_RECURSE "${PREFIX}" "${CONSUMERS}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
