# seed_corpus.cmake: one seed corpus zip, flat, with CMake alone (no zip
# program needed).
#
#   cmake -DZIP=OUT.zip -DROOT=SRC "-DENTRIES=dir;dir/*.vpt" -P seed_corpus.cmake
#
# Each ENTRY is a directory (its files) or a glob, under ROOT; a file goes
# into the zip as FOLDER-NAME (FOLDER the entry's folder name), so that two
# folders may hold the same name. Files whose names start with '.' are left
# out, as every vpcert corpus reader does.
set(stage ${ZIP}.d)
file(REMOVE_RECURSE ${stage})
file(MAKE_DIRECTORY ${stage})
set(names "")
foreach(entry IN LISTS ENTRIES)
  if(IS_DIRECTORY ${ROOT}/${entry})
    get_filename_component(folder ${entry} NAME)
    file(GLOB files LIST_DIRECTORIES false ${ROOT}/${entry}/*)
  else()
    get_filename_component(folder ${entry} DIRECTORY)
    get_filename_component(folder ${folder} NAME)
    file(GLOB files LIST_DIRECTORIES false ${ROOT}/${entry})
  endif()
  foreach(f IN LISTS files)
    get_filename_component(name ${f} NAME)
    if(NOT name MATCHES "^\\.")
      file(COPY_FILE ${f} ${stage}/${folder}-${name})
      list(APPEND names ${folder}-${name})
    endif()
  endforeach()
endforeach()
if(NOT names)
  message(FATAL_ERROR "seed_corpus: no files in ${ENTRIES}")
endif()
list(SORT names)
file(REMOVE ${ZIP})
execute_process(COMMAND ${CMAKE_COMMAND} -E tar cf ${ZIP} --format=zip -- ${names}
                WORKING_DIRECTORY ${stage} RESULT_VARIABLE rc)
file(REMOVE_RECURSE ${stage})
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "seed_corpus: cmake -E tar failed (${rc}) for ${ZIP}")
endif()
