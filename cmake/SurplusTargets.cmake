# Helpers that give every target of ours the same warnings and sanitizer flags.

set(SURPLUS_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
if(SURPLUS_WERROR)
  list(APPEND SURPLUS_WARNINGS -Werror)
endif()
# GCC 12 reports impossible overlaps inside libstdc++'s std::string copies when it inlines
# them at -O2 and above (GCC bug 105329), which breaks optimized builds under -Werror.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND SURPLUS_WARNINGS -Wno-restrict)
endif()
# GCC reports std::variant members (db::Value) as maybe uninitialized once -O2 inlines their
# copies, a known class of false positives since GCC 12. In optimized builds it stays a
# warning, not an error. GCC reports it only when optimizing, so Debug builds keep the flags.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND SURPLUS_WARNINGS $<$<NOT:$<CONFIG:Debug>>:-Wno-error=maybe-uninitialized>)
endif()

if(SURPLUS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Applies our warning set to a target; third-party headers come in as SYSTEM and stay quiet.
function(surplus_target_defaults target)
  target_compile_options(${target} PRIVATE ${SURPLUS_WARNINGS})
endfunction()

# surplus_library(NAME SOURCES ... DEPS ... [PRIVATE_DEPS ...])
# Declares surplus_NAME with a public include/ and a private src/.
function(surplus_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(surplus_${name} STATIC ${ARG_SOURCES})
  add_library(surplus::${name} ALIAS surplus_${name})
  target_include_directories(surplus_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                             PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(surplus_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  surplus_target_defaults(surplus_${name})
endfunction()

# surplus_test(NAME SOURCES ... DEPS ... [LABELS ...] [RUN_SERIAL])
# A GoogleTest binary registered with CTest; test cases are listed when ctest runs,
# so a build does not have to execute every test binary. With RUN_SERIAL, ctest -j runs
# none of its cases beside another test.
function(surplus_test name)
  if(NOT SURPLUS_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "RUN_SERIAL" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  surplus_target_defaults(${name})
  # PROPERTIES takes key-value pairs, so a list of labels must reach it as one value.
  string(REPLACE ";" "\\;" labels "${ARG_LABELS}")
  set(serial "")
  if(ARG_RUN_SERIAL)
    set(serial RUN_SERIAL TRUE)
  endif()
  # NOTE: CMake 3.25 drops the escaping of the labels in PRE_TEST discovery, so a test
  # gets only its first label. LABELS comes last so that the other properties still apply.
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
                       PROPERTIES TIMEOUT 600 ${serial} LABELS "${labels}")
endfunction()

include(SurplusMigrations)

# surplus_service(NAME SOURCES ... [MIGRATIONS dir] [DEPS ...])
# A service is a library surplus_NAME_service (its definition, handlers and storage, which
# tests link) plus the binary surplus-NAME built from main.cpp. With MIGRATIONS, the SQL
# files in that folder are embedded as surplus::NAME::migrations().
function(surplus_service name)
  cmake_parse_arguments(ARG "" "MIGRATIONS" "SOURCES;DEPS" ${ARGN})
  set(lib surplus_${name}_service)
  add_library(${lib} STATIC ${ARG_SOURCES})
  target_include_directories(${lib} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${lib} PUBLIC surplus::service ${ARG_DEPS})
  surplus_target_defaults(${lib})
  if(ARG_MIGRATIONS)
    surplus_embed_migrations(${lib} ${ARG_MIGRATIONS} FUNCTION surplus::${name}::migrations)
  endif()

  add_executable(surplus-${name} main.cpp)
  target_link_libraries(surplus-${name} PRIVATE ${lib})
  surplus_target_defaults(surplus-${name})
endfunction()

# tcmalloc (Debian package libtcmalloc-minimal4, which has no -dev package) replaces malloc
# in the programs that build many small JSON values per request: graphql-run, graphql_bench
# and surplus-gateway. AddressSanitizer brings its own malloc, so sanitizer builds skip it.
option(SURPLUS_TCMALLOC "Link tcmalloc into graphql-run, graphql_bench and surplus-gateway" ON)
if(SURPLUS_TCMALLOC AND SURPLUS_SANITIZE)
  message(STATUS "SURPLUS_TCMALLOC is off because SURPLUS_SANITIZE is on")
  set(SURPLUS_TCMALLOC OFF)
endif()
if(SURPLUS_TCMALLOC)
  find_library(SURPLUS_TCMALLOC_LIBRARY NAMES tcmalloc_minimal libtcmalloc_minimal.so.4)
  if(SURPLUS_TCMALLOC_LIBRARY)
    message(STATUS "Linking tcmalloc: ${SURPLUS_TCMALLOC_LIBRARY}")
  else()
    message(STATUS "tcmalloc not found, so the system malloc is used: install the Debian "
                   "package libtcmalloc-minimal4 (scripts/install-deps) or set SURPLUS_TCMALLOC=OFF")
    set(SURPLUS_TCMALLOC OFF)
  endif()
endif()

# Links tcmalloc into an executable when SURPLUS_TCMALLOC is on. The program references no
# symbol of the library, so --no-as-needed keeps a linker that drops unused libraries from
# dropping it; --push-state and --pop-state restore the setting for the libraries after it.
function(surplus_link_tcmalloc target)
  if(SURPLUS_TCMALLOC)
    target_link_libraries(${target} PRIVATE -Wl,--push-state,--no-as-needed
                                            "${SURPLUS_TCMALLOC_LIBRARY}" -Wl,--pop-state)
  endif()
endfunction()
