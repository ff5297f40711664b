# Warnings and sanitizers. kpi_set_warnings(<target>) gives a target libkpi's warning flags
# (-Wall -Wextra -Wpedantic, plus -Werror with KPI_WERROR).
function(kpi_set_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<OR:$<COMPILE_LANG_AND_ID:C,GNU,Clang>,$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>>:-Wall -Wextra -Wpedantic>
    $<$<AND:$<BOOL:${KPI_WERROR}>,$<OR:$<COMPILE_LANG_AND_ID:C,GNU,Clang>,$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>>>:-Werror>
    # GCC 12's -Wrestrict misfires on std::string concatenation when optimizing (GCC bug 105651).
    $<$<AND:$<COMPILE_LANG_AND_ID:CXX,GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)
endfunction()

if(KPI_SANITIZE)
  # Applied globally so that GoogleTest, the C tests and the CLI are instrumented too.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  # GCC's -Wmaybe-uninitialized misfires on instrumented standard-library code (std::function inside
  # std::regex); the unsanitized -Werror build keeps the warning.
  add_compile_options($<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
  add_link_options(-fsanitize=address,undefined)
endif()
