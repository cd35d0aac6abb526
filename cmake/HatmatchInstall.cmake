# cmake --install: the hatmatch command and its man page (component
# "runtime", with libhatmatch.so.N), and for developers (component "dev")
# the headers, libhatmatch.a, the libhatmatch.so link, the CMake package
# (find_package(hatmatch CONFIG) -> hatmatch::hatmatch, hatmatch::hatmatch_static)
# and hatmatch.pc for pkg-config, all in GNUInstallDirs places.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(HATMATCH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/hatmatch)

# The headers that make up the public API.  reference.h (the test oracle)
# and analysis.h (explain, lint, diff: the command's business) stay inside.
set(HATMATCH_PUBLIC_HEADERS
  hatmatch.h export.h address.h rules.h connection.h decision.h parse.h
  table.h matcher.h)
list(TRANSFORM HATMATCH_PUBLIC_HEADERS
     PREPEND ${PROJECT_SOURCE_DIR}/include/hatmatch/)

install(TARGETS hatmatch
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(TARGETS hatmatch_shared hatmatch_static EXPORT hatmatchTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
          NAMELINK_COMPONENT dev
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(FILES ${HATMATCH_PUBLIC_HEADERS}
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hatmatch COMPONENT dev)
install(FILES ${PROJECT_SOURCE_DIR}/docs/hatmatch.1
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)

install(EXPORT hatmatchTargets NAMESPACE hatmatch::
  DESTINATION ${HATMATCH_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/hatmatchConfig.cmake.in
  ${PROJECT_BINARY_DIR}/hatmatchConfig.cmake
  INSTALL_DESTINATION ${HATMATCH_CMAKE_DIR})
# 0.x: a minor version may change the API, so only the same minor matches.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/hatmatchConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/hatmatchConfig.cmake
              ${PROJECT_BINARY_DIR}/hatmatchConfigVersion.cmake
  DESTINATION ${HATMATCH_CMAKE_DIR} COMPONENT dev)

# pkg-config: relative to its own location, so an unpacked .deb or a moved
# prefix still works (pkg-config --define-prefix).
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  file(RELATIVE_PATH HATMATCH_PC_TO_PREFIX "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
       "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH HATMATCH_PC_TO_PREFIX
       "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/hatmatch.pc.in
               ${PROJECT_BINARY_DIR}/hatmatch.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/hatmatch.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
