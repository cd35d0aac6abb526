# Warnings, sanitizers and tuning shared by every hatmatch target.
function(hatmatch_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports false -Wrestrict positives inside std::string's
    # operator+ at -O2 (GCC bug 105329); the code is fine.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(HATMATCH_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # Sanitizer instrumentation makes GCC's -Wmaybe-uninitialized report
    # false positives inside libstdc++ (std::function, std::regex); the
    # Release build keeps the warning.
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  if(HATMATCH_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${HATMATCH_SANITIZE}
                           -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${HATMATCH_SANITIZE})
  endif()
  if(HATMATCH_NATIVE)
    target_compile_options(${target} PRIVATE -march=native)
  elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
    # popcnt is on every x86-64 made since 2008; wider SIMD only via runtime
    # dispatch.
    target_compile_options(${target} PRIVATE -mpopcnt)
  endif()
endfunction()
