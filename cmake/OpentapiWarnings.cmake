# Warnings for the project's own code, as errors. Linked privately by every
# project target; third-party headers are included as system headers.
add_library(opentapi_warnings INTERFACE)
target_compile_options(opentapi_warnings INTERFACE
  $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Werror>
  $<$<COMPILE_LANG_AND_ID:C,GNU,Clang>:-Wall -Wextra -Wpedantic -Werror>)

# Sanitizers for the asan preset (ASan + UBSan), applied to every project target.
option(OPENTAPI_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(OPENTAPI_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
