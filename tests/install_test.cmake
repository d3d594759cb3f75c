# `cmake --install` puts the binaries and, for reference, the migrations and the price table
# under the prefix; the binaries themselves carry the data they were built with, so an installed,
# copied or moved binary never reads another tree's files.
# Run by CTest: cmake -DBUILD_DIR=... -DPREFIX=... -P install_test.cmake
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

# A binary moved away from every data directory: the installed share/ is gone too.
file(MAKE_DIRECTORY "${PREFIX}/moved")
file(COPY "${PREFIX}/bin/costs-sync" DESTINATION "${PREFIX}/moved")
file(REMOVE_RECURSE "${PREFIX}/share")
foreach(binary "${PREFIX}/bin/costs-sync" "${PREFIX}/moved/costs-sync")
  execute_process(COMMAND "${binary}" prices show OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  string(REGEX MATCH "^# [^\n]*" first_line "${out}")
  if(rc OR NOT first_line STREQUAL "# the price table built into costs-sync")
    message(FATAL_ERROR "${binary} read '${first_line}' (exit ${rc})")
  endif()
  if(NOT out MATCHES "\nclaude-sonnet-4")
    message(FATAL_ERROR "${binary} printed no Claude prices:\n${out}")
  endif()
endforeach()
file(REMOVE_RECURSE "${PREFIX}")
message(STATUS "install layout ok; a moved binary reads its own data")
