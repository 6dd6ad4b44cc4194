# Build one probe of tests/CMakeLists.txt (a file compiled as a file of one
# library, including HEADER) and check the result: EXPECT=ok must build;
# EXPECT=fail must fail because of HEADER (not found, or private).
#   cmake -DBUILD=DIR -DTARGET=T -DHEADER=H -DEXPECT=ok|fail -P layout_probe.cmake
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD} --target ${TARGET}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(out "${out}${err}")
if(EXPECT STREQUAL "ok")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${TARGET}: including ${HEADER} should build:\n${out}")
  endif()
elseif(rc EQUAL 0)
  message(FATAL_ERROR "${TARGET}: including ${HEADER} built, but no arrow allows it")
elseif(NOT out MATCHES "${HEADER}[^\n]*(file not found|No such file|is private to)")
  message(FATAL_ERROR "${TARGET}: the build failed, but not because of ${HEADER}:\n${out}")
endif()
