# surplus_embed_migrations(<target> <dir> FUNCTION <namespace>::<name>)
#
# Compiles the SQL migrations in <dir> into <target> as a function
#   std::vector<surplus::db::Migration> <namespace>::<name>();
# which the target declares in one of its own headers and passes to surplus::db::migrate.
#
# File names are NNN_name.sql (both dialects), NNN_name.sqlite.sql or
# NNN_name.postgres.sql (one dialect; used instead of the plain file for that dialect).
# NNN is the version number (leading zeros are ignored) and name uses [a-z0-9_]. Any
# other file in <dir> stops the build with an error. The source is regenerated when a
# file changes, and CMake re-runs when a file is added or removed.
set(SURPLUS_MIGRATIONS_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/surplus_generate_migrations.cmake")

function(surplus_embed_migrations target dir)
  cmake_parse_arguments(ARG "" "FUNCTION" "" ${ARGN})
  if(NOT ARG_FUNCTION)
    message(FATAL_ERROR "surplus_embed_migrations(${target} ...) needs FUNCTION ns::name")
  endif()
  get_filename_component(abs_dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  file(GLOB sql_files CONFIGURE_DEPENDS "${abs_dir}/*")
  string(MAKE_C_IDENTIFIER "${ARG_FUNCTION}" output_stem)
  set(output "${CMAKE_CURRENT_BINARY_DIR}/${target}_${output_stem}_migrations.cpp")
  # A removed file is no newer than the output, so the list of names is a dependency too;
  # file(CONFIGURE) rewrites it only when the list changes.
  set(manifest "${CMAKE_CURRENT_BINARY_DIR}/${target}_${output_stem}_migrations.list")
  file(CONFIGURE OUTPUT "${manifest}" CONTENT "${sql_files}\n")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${CMAKE_COMMAND}" "-DDIR=${abs_dir}" "-DOUTPUT=${output}"
            "-DFUNCTION=${ARG_FUNCTION}" -P "${SURPLUS_MIGRATIONS_SCRIPT}"
    DEPENDS ${sql_files} "${manifest}" "${SURPLUS_MIGRATIONS_SCRIPT}"
    COMMENT "Embedding SQL migrations from ${dir} as ${ARG_FUNCTION}()"
    VERBATIM)
  target_sources(${target} PRIVATE "${output}")
  target_link_libraries(${target} PUBLIC surplus::db)
endfunction()
