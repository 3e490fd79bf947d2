# opentapi_add_fuzz_test(NAME <test> SOURCES <file>... [INCLUDE_DIRS <dir>...]
#                        [LINK <arg>...] [SECONDS <n>] [MAX_LEN <bytes>]
#                        [DEPENDS <target>...])
#
# A libFuzzer target run as a ctest for a bounded time (SECONDS, default 20;
# OPENTAPI_FUZZ_SECONDS overrides it) by cmake/run_fuzz_test.sh. SOURCES are
# compiled together, with INCLUDE_DIRS, and linked with LINK (plain linker
# arguments such as -lprotobuf-lite). With a clang project compiler the target
# is an ordinary executable of the build; otherwise the test builds it with
# clang++-14 itself and is skipped when that is not installed.
#
# DEPENDS names the targets that generate some of the SOURCES (protobuf code
# of another directory), so that the clang build of the target waits for them.
#
# A target should define LLVMFuzzerInitialize and, when the environment holds
# OPENTAPI_FUZZ_WRITE_SEEDS=<dir>, write its seed corpus there and exit.
function(opentapi_add_fuzz_test)
  cmake_parse_arguments(FUZZ "" "NAME;SECONDS;MAX_LEN" "SOURCES;INCLUDE_DIRS;LINK;DEPENDS" ${ARGN})
  if(NOT FUZZ_SECONDS)
    set(FUZZ_SECONDS 20)
  endif()
  if(NOT FUZZ_MAX_LEN)
    set(FUZZ_MAX_LEN 4096)
  endif()
  set(binary "")
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    add_executable(${FUZZ_NAME} ${FUZZ_SOURCES})
    target_compile_options(${FUZZ_NAME} PRIVATE -fsanitize=fuzzer,address)
    target_link_options(${FUZZ_NAME} PRIVATE -fsanitize=fuzzer,address)
    target_include_directories(${FUZZ_NAME} PRIVATE ${FUZZ_INCLUDE_DIRS})
    target_link_libraries(${FUZZ_NAME} PRIVATE ${FUZZ_LINK})
    if(FUZZ_DEPENDS)
      add_dependencies(${FUZZ_NAME} ${FUZZ_DEPENDS})
    endif()
    set(binary $<TARGET_FILE:${FUZZ_NAME}>)
  endif()
  add_test(NAME ${FUZZ_NAME}
           COMMAND ${PROJECT_SOURCE_DIR}/cmake/run_fuzz_test.sh ${CMAKE_CURRENT_BINARY_DIR}/${FUZZ_NAME}
                   "${binary}" ${FUZZ_SECONDS} ${FUZZ_MAX_LEN}
                   --include ${FUZZ_INCLUDE_DIRS} --link ${FUZZ_LINK} --sources ${FUZZ_SOURCES})
  # Room for the build inside the test on a loaded machine (a cold build of
  # frame_decoder_fuzz took 160 s beside the other fuzz builds on two shared
  # cores) besides the bounded run; a longer OPENTAPI_FUZZ_SECONDS given when
  # configuring is allowed for too.
  set(seconds ${FUZZ_SECONDS})
  if("$ENV{OPENTAPI_FUZZ_SECONDS}" MATCHES "^[0-9]+$" AND "$ENV{OPENTAPI_FUZZ_SECONDS}" GREATER seconds)
    set(seconds $ENV{OPENTAPI_FUZZ_SECONDS})
  endif()
  math(EXPR timeout "${seconds} + 300")
  set_tests_properties(${FUZZ_NAME} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT ${timeout}
                       ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=64")
endfunction()

# opentapi_fuzz_sources_of(<variable> <target>...): the C++ sources of library
# targets defined earlier, as absolute paths, for a fuzz target that compiles
# a whole layer (generated and generator-expression entries left out).
function(opentapi_fuzz_sources_of variable)
  set(result "")
  foreach(target IN LISTS ARGN)
    get_target_property(dir ${target} SOURCE_DIR)
    get_target_property(sources ${target} SOURCES)
    foreach(source IN LISTS sources)
      if(source MATCHES "\\.cpp$" AND NOT source MATCHES "^\\$<")
        if(IS_ABSOLUTE "${source}")
          list(APPEND result "${source}")
        else()
          list(APPEND result "${dir}/${source}")
        endif()
      endif()
    endforeach()
  endforeach()
  set(${variable} ${result} PARENT_SCOPE)
endfunction()
