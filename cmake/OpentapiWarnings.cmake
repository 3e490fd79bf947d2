# Warnings for the project's own code, as errors. Linked privately by every
# project target; third-party headers are included as system headers.
add_library(opentapi_warnings INTERFACE)
target_compile_options(opentapi_warnings INTERFACE
  $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Werror>
  $<$<COMPILE_LANG_AND_ID:C,GNU,Clang>:-Wall -Wextra -Wpedantic -Werror>
  # GCC 12 at -O3 reports false -Wrestrict/-Warray-bounds inside libstdc++'s
  # std::string (GCC bug 105329): kept as warnings so release builds finish
  # (other configurations keep their flags, and their compiler cache).
  $<$<AND:$<CONFIG:Release>,$<COMPILE_LANG_AND_ID:CXX,GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-error=restrict -Wno-error=array-bounds>)

# Sanitizers for the asan preset (ASan + UBSan), applied to every project target.
option(OPENTAPI_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(OPENTAPI_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
