# cpack -G DEB: two Debian packages from the install components.
#   hatmatch      the command, its man page and libhatmatch.so.N
#   hatmatch-dev  headers, libhatmatch.a, the .so link, CMake and pkg-config
#                 files; depends on hatmatch of the same version
# Depends of the runtime package come from dpkg-shlibdeps on the binaries.

set(CPACK_PACKAGE_NAME hatmatch)
set(CPACK_PACKAGE_VENDOR "The hatmatch Authors")
set(CPACK_PACKAGE_CONTACT "The hatmatch Authors <hatmatch@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Host Access Table classifier for SMTP gateways")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION mail)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME hatmatch)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DESCRIPTION
    "Host Access Table classifier for SMTP gateways
 hatmatch decides which sender group of a Cisco-style Host Access Table an
 SMTP connection belongs to.  This package has the hatmatch command and the
 shared library libhatmatch.")
set(CPACK_DEBIAN_DEV_PACKAGE_NAME hatmatch-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "hatmatch (= ${PROJECT_VERSION}), libabsl-dev, libfmt-dev, libidn2-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_DESCRIPTION
    "Host Access Table classifier for SMTP gateways (development files)
 The C header hatmatch.h and the C++ headers, the static library, and the
 CMake package and pkg-config file for building against libhatmatch.")

include(CPack)
