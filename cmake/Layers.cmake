# The library as layers (cmake/layers.txt, lowest first): one OBJECT target
# per layer, seccage_<layer>, built from src/<layer>/ (tests excluded).
#
# The build enforces the order in two ways:
#  - headers: a layer compiles against an include directory of its own
#    (build/layer-include/<layer>/) holding links to its own and lower
#    layers' source folders and to the public headers those layers
#    implement, and nothing else; including a higher layer's header is a
#    compile error ("No such file or directory");
#  - symbols: seccage_link_<layer> links the layer with the layers below it
#    into a shared object with --no-undefined, so a call into a higher layer
#    is a link error. These checks are built with the tests.
#
# The installed library (target seccage) is all layers' objects in one
# archive, so users still link one library.

file(STRINGS ${PROJECT_SOURCE_DIR}/cmake/layers.txt SECCAGE_LAYER_LINES)
set(SECCAGE_LAYERS "")
set(_visible_layers "")
set(_visible_headers "")
foreach(line IN LISTS SECCAGE_LAYER_LINES)
  string(REGEX REPLACE "#.*" "" line "${line}")
  string(STRIP "${line}" line)
  if(line STREQUAL "")
    continue()
  endif()
  string(REGEX REPLACE "[ \t]+" ";" words "${line}")
  list(POP_FRONT words layer)
  list(APPEND _visible_layers ${layer})
  list(APPEND _visible_headers ${words})

  # What this layer may see: links, made at configure time.
  set(view ${PROJECT_BINARY_DIR}/layer-include/${layer})
  file(REMOVE_RECURSE ${view})
  file(MAKE_DIRECTORY ${view}/seccage)
  foreach(seen IN LISTS _visible_layers)
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${seen} ${view}/${seen} SYMBOLIC)
  endforeach()
  foreach(header IN LISTS _visible_headers)
    if(NOT EXISTS ${PROJECT_SOURCE_DIR}/include/seccage/${header})
      message(FATAL_ERROR "cmake/layers.txt names include/seccage/${header}, which does not exist")
    endif()
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/include/seccage/${header} ${view}/seccage/${header} SYMBOLIC)
  endforeach()

  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${layer}/*.cpp)
  list(FILTER sources EXCLUDE REGEX "_test\\.cpp$")
  add_library(seccage_${layer} OBJECT ${sources})
  target_include_directories(seccage_${layer} PRIVATE ${view})
  # Header-only dependencies (nothing of them is exported, see the seccage
  # target); yaml-cpp is the profile layer's alone (SPO YAML).
  target_link_libraries(seccage_${layer} PRIVATE fmt::fmt-header-only nlohmann_json::nlohmann_json)
  if(layer STREQUAL "profile")
    target_include_directories(seccage_${layer} PRIVATE $<TARGET_PROPERTY:yaml-cpp,INTERFACE_INCLUDE_DIRECTORIES>)
  endif()
  list(APPEND SECCAGE_LAYERS ${layer})
endforeach()

# The symbol check: each layer, with the layers below it and nothing above,
# must link on its own.
if(SECCAGE_BUILD_TESTS)
  set(_objects "")
  set(_needs_yaml OFF)
  foreach(layer IN LISTS SECCAGE_LAYERS)
    list(APPEND _objects $<TARGET_OBJECTS:seccage_${layer}>)
    if(layer STREQUAL "profile")
      set(_needs_yaml ON)
    endif()
    add_library(seccage_link_${layer} SHARED ${_objects})
    # --strip-all: the check needs the symbols resolved, not a debuggable file.
    target_link_options(seccage_link_${layer} PRIVATE LINKER:--no-undefined LINKER:--strip-all)
    if(_needs_yaml)
      target_link_libraries(seccage_link_${layer} PRIVATE yaml-cpp)
    endif()
    set_target_properties(seccage_link_${layer} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/layer-link)
  endforeach()
endif()
