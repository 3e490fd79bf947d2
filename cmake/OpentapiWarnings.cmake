# Warnings for the project's own code. Linked privately by every project
# target; third-party headers are included as system headers.
#
# Warnings are errors for the project's developers and CI (every preset in
# CMakePresets.json turns OPENTAPI_WERROR on), not for a packager's plain
# `cmake -DCMAKE_BUILD_TYPE=Release` build, where a newer compiler's new warning
# must not break the build.
option(OPENTAPI_WERROR "Treat the project's compiler warnings as errors" OFF)

add_library(opentapi_warnings INTERFACE)
target_compile_options(opentapi_warnings INTERFACE
  $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>
  $<$<COMPILE_LANG_AND_ID:C,GNU,Clang>:-Wall -Wextra -Wpedantic>
  # Checks the locking annotations of port/thread_annotations.h (GCC has none).
  $<$<COMPILE_LANG_AND_ID:CXX,Clang>:-Wthread-safety>)
if(OPENTAPI_WERROR)
  target_compile_options(opentapi_warnings INTERFACE
    $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>:-Werror> $<$<COMPILE_LANG_AND_ID:C,GNU,Clang>:-Werror>
    # GCC 12 at -O3 reports false -Wrestrict/-Warray-bounds inside libstdc++'s
    # std::string (GCC bug 105329): kept as warnings in release builds (other
    # configurations keep their flags, and their compiler cache).
    $<$<AND:$<CONFIG:Release>,$<COMPILE_LANG_AND_ID:CXX,GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-error=restrict -Wno-error=array-bounds>)
endif()

# Sanitizers for the asan preset (ASan + UBSan), applied to every project target.
option(OPENTAPI_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(OPENTAPI_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
