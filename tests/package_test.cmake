# The installed libcosts serves other projects: `cmake --install`, then examples/price_a_call is
# built outside this tree against that copy, once with find_package(costs) and once with
# pkg-config --static costs, and each build prices a call at the shipped list prices.
# Run by CTest: cmake -DBUILD_DIR=... -DPREFIX=... -DEXAMPLE=... -DCXX=... -P package_test.cmake
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}/usr"
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
set(expected "claude-sonnet-4-6, 1M input and 100k output tokens: $4.50")  # 3.00 + 1.50

function(check_run binary how)
  execute_process(COMMAND "${binary}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  string(STRIP "${out}" out)
  if(rc OR NOT out STREQUAL expected)
    message(FATAL_ERROR "${how}: the example printed '${out}' (exit ${rc}) ${err}")
  endif()
endfunction()

# 1. find_package(costs), the way a CMake project uses it.
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${EXAMPLE}" -B "${PREFIX}/build"
                        "-DCMAKE_PREFIX_PATH=${PREFIX}/usr" -DCMAKE_BUILD_TYPE=Release
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "configuring the example against the installed copy failed:\n${out}${err}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${PREFIX}/build" RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "building the example with find_package(costs) failed:\n${out}${err}")
endif()
check_run("${PREFIX}/build/price_a_call" "find_package(costs)")

# 2. pkg-config, the way a Makefile uses it.
file(GLOB_RECURSE pc_files "${PREFIX}/usr/*/costs.pc")
list(LENGTH pc_files found)
if(NOT found EQUAL 1)
  message(FATAL_ERROR "expected one installed costs.pc, found: ${pc_files}")
endif()
get_filename_component(pc_dir "${pc_files}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
execute_process(COMMAND pkg-config --cflags --libs --static costs OUTPUT_VARIABLE flags
                RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(rc)
  message(FATAL_ERROR "pkg-config does not know the installed costs.pc (${pc_files})")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
execute_process(COMMAND "${CXX}" "${EXAMPLE}/main.cpp" -o "${PREFIX}/price_a_call_pc" ${flags}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "building the example with pkg-config flags (${flags}) failed:\n${err}")
endif()
check_run("${PREFIX}/price_a_call_pc" "pkg-config")

file(REMOVE_RECURSE "${PREFIX}")
message(STATUS "the installed libcosts builds and runs another project's program both ways")
