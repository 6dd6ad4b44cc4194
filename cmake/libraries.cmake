# vpcert's libraries and the arrows between them, stated once.
#
#   vpcert_library(NAME DIR SOURCES f.c... [DEPS lib...] [PRIVATE_DEPS lib...])
#
# makes NAME a static library of DIR/f.c... (an absolute path: a generated
# file) whose public headers are DIR's.
# DEPS are libraries its public headers include (its users see them too);
# PRIVATE_DEPS those only its .c files include. Nothing else is on its
# include path, so an include that crosses an arrow not listed fails to
# compile. Files of DIR are compiled with VPCERT_IN_<NAME> defined, which
# a DIR/*_internal.h requires: another library cannot include it.
#
#   vpcert_variant(SUFFIX [OPTIONS opt...] [DEFINITIONS def...] [NAMES lib...])
#
# copies the libraries (NAMES, default all) as NAME<SUFFIX> with extra
# compile options and (public) definitions, with the same sources and arrows (each
# dependency on a copied library goes to its copy): the fuzzers'
# coverage-instrumented build and the benchmark's long-program build.

function(vpcert_library name dir)
  cmake_parse_arguments(L "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  set(srcs "")
  foreach(s IN LISTS L_SOURCES)
    if(IS_ABSOLUTE ${s}) # a generated file in the build tree
      set(abs ${s})
    else()
      get_filename_component(abs ${dir}/${s} ABSOLUTE BASE_DIR ${PROJECT_SOURCE_DIR})
    endif()
    list(APPEND srcs ${abs})
  endforeach()
  get_filename_component(absdir ${dir} ABSOLUTE BASE_DIR ${PROJECT_SOURCE_DIR})
  set_property(GLOBAL APPEND PROPERTY VPCERT_LIBRARIES ${name})
  set_property(GLOBAL PROPERTY VPCERT_LIB_${name}_DIR ${absdir})
  set_property(GLOBAL PROPERTY VPCERT_LIB_${name}_SOURCES ${srcs})
  set_property(GLOBAL PROPERTY VPCERT_LIB_${name}_DEPS ${L_DEPS})
  set_property(GLOBAL PROPERTY VPCERT_LIB_${name}_PRIVATE_DEPS ${L_PRIVATE_DEPS})
  _vpcert_make_library(${name} "" "" "" "")
endfunction()

# Make library name+suffix from the registered description of name.
function(_vpcert_make_library name suffix options definitions copied)
  get_property(dir GLOBAL PROPERTY VPCERT_LIB_${name}_DIR)
  get_property(srcs GLOBAL PROPERTY VPCERT_LIB_${name}_SOURCES)
  get_property(deps GLOBAL PROPERTY VPCERT_LIB_${name}_DEPS)
  get_property(pdeps GLOBAL PROPERTY VPCERT_LIB_${name}_PRIVATE_DEPS)
  foreach(list deps pdeps)
    set(mapped "")
    foreach(d IN LISTS ${list})
      if(d IN_LIST copied)
        list(APPEND mapped ${d}${suffix})
      else()
        list(APPEND mapped ${d})
      endif()
    endforeach()
    set(${list} ${mapped})
  endforeach()
  string(TOUPPER ${name} upper)
  string(REGEX REPLACE "^VPCERT_" "" upper ${upper})
  add_library(${name}${suffix} STATIC ${srcs})
  target_include_directories(${name}${suffix} PUBLIC ${dir})
  target_compile_definitions(${name}${suffix} PRIVATE VPCERT_IN_${upper} PUBLIC ${definitions})
  target_compile_options(${name}${suffix} PRIVATE ${options})
  target_link_libraries(${name}${suffix} PUBLIC ${deps} PRIVATE ${pdeps})
endfunction()

function(vpcert_variant suffix)
  cmake_parse_arguments(V "" "" "OPTIONS;DEFINITIONS;NAMES" ${ARGN})
  if(NOT V_NAMES)
    get_property(V_NAMES GLOBAL PROPERTY VPCERT_LIBRARIES)
  endif()
  foreach(name IN LISTS V_NAMES)
    _vpcert_make_library(${name} ${suffix} "${V_OPTIONS}" "${V_DEFINITIONS}" "${V_NAMES}")
  endforeach()
endfunction()

# A probe: one file, compiled as a file of library name would be (its
# folder, its dependencies, its VPCERT_IN_ macro), that includes header.
# tests/layout builds it and expects success or failure.
function(vpcert_probe target name header)
  get_property(dir GLOBAL PROPERTY VPCERT_LIB_${name}_DIR)
  get_property(deps GLOBAL PROPERTY VPCERT_LIB_${name}_DEPS)
  get_property(pdeps GLOBAL PROPERTY VPCERT_LIB_${name}_PRIVATE_DEPS)
  string(TOUPPER ${name} upper)
  string(REGEX REPLACE "^VPCERT_" "" upper ${upper})
  set(src ${CMAKE_CURRENT_BINARY_DIR}/${target}.c)
  file(WRITE ${src} "#include \"${header}\"\nint ${target}_probe;\n")
  add_library(${target} OBJECT EXCLUDE_FROM_ALL ${src})
  target_include_directories(${target} PRIVATE ${dir})
  target_compile_definitions(${target} PRIVATE VPCERT_IN_${upper})
  target_link_libraries(${target} PRIVATE ${deps} ${pdeps})
endfunction()
