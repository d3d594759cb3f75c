# `cmake --install` puts the binaries, the migrations and the price table where the installed
# binaries find them. Run by CTest: cmake -DBUILD_DIR=... -DPREFIX=... -P install_test.cmake
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
file(GLOB migrations "${PREFIX}/share/costs/migrations/*.sql")
list(LENGTH migrations count)
if(count LESS 8)
  message(FATAL_ERROR "expected the migrations under ${PREFIX}/share/costs/migrations, found ${count}")
endif()
# The installed binary must read the installed table, not the source tree's.
execute_process(COMMAND "${PREFIX}/bin/costs-sync" prices show OUTPUT_VARIABLE out
                RESULT_VARIABLE rc)
string(REGEX MATCH "^# [^\n]*" first_line "${out}")
if(rc OR NOT first_line STREQUAL "# ${PREFIX}/share/costs/prices.json")
  message(FATAL_ERROR "installed costs-sync read '${first_line}' (exit ${rc})")
endif()
file(REMOVE_RECURSE "${PREFIX}")
message(STATUS "install layout ok")
