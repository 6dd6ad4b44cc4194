# The fuzz targets as OSS-Fuzz and ClusterFuzzLite want them in $OUT
# (fuzzers/build.sh): each fuzz_NAME with its fuzz_NAME.options, the
# dictionaries, and fuzz_NAME_seed_corpus.zip. Target vpcert_oss_fuzz builds
# them; `cmake --install BUILD --component oss-fuzz --prefix $OUT` puts them
# there. Included by fuzzers/CMakeLists.txt when VPCERT_FUZZ_ENGINE is set.

# OSS-Fuzz links with $CXX "even if your project is written in pure C":
# its engines ($LIB_FUZZING_ENGINE) may need the C++ runtime.
if(VPCERT_FUZZ_LINK_CXX)
  enable_language(CXX)
endif()

set(_zips "")
foreach(t ${VPCERT_FUZZ_TARGETS})
  install(TARGETS fuzz_${t} RUNTIME DESTINATION . COMPONENT oss-fuzz)
  if(VPCERT_FUZZ_LINK_CXX)
    set_target_properties(fuzz_${t} PROPERTIES LINKER_LANGUAGE CXX)
  endif()
  if(NOT VPCERT_SEEDS_${t})
    continue()
  endif()
  set(zip ${CMAKE_CURRENT_BINARY_DIR}/fuzz_${t}_seed_corpus.zip)
  set(inputs "")
  foreach(entry IN LISTS VPCERT_SEEDS_${t})
    if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/${entry})
      file(GLOB found CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${entry}/*)
    else()
      file(GLOB found CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${entry})
    endif()
    list(APPEND inputs ${found})
  endforeach()
  add_custom_command(
    OUTPUT ${zip}
    COMMAND ${CMAKE_COMMAND} -DZIP=${zip} -DROOT=${PROJECT_SOURCE_DIR}
            "-DENTRIES=${VPCERT_SEEDS_${t}}" -P ${CMAKE_CURRENT_SOURCE_DIR}/seed_corpus.cmake
    DEPENDS ${inputs} ${CMAKE_CURRENT_SOURCE_DIR}/seed_corpus.cmake
    COMMENT "seed corpus of fuzz_${t}" VERBATIM)
  list(APPEND _zips ${zip})
endforeach()

list(TRANSFORM VPCERT_FUZZ_TARGETS PREPEND fuzz_ OUTPUT_VARIABLE _targets)
add_custom_target(vpcert_oss_fuzz DEPENDS ${_targets} ${_zips})
list(TRANSFORM VPCERT_FUZZ_DICTS PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/ OUTPUT_VARIABLE _dicts)
list(TRANSFORM VPCERT_FUZZ_OPTIONS PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/ OUTPUT_VARIABLE _options)
install(FILES ${_dicts} ${_options} ${_zips} DESTINATION . COMPONENT oss-fuzz)
