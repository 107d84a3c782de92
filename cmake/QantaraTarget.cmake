# Common settings for every qantara target: warnings on, optional sanitizers.

# QANTARA_SANITIZE=thread: ThreadSanitizer (tests/tsan/run_tsan.sh) on
# every target, generated code included. Debian's abseil is not instrumented:
# tests/tsan/absl_tsan.cc tells TSan what its absl::Mutex, CondVar and
# Notification do, linked into every binary ahead of abseil. Any other true
# value (ON): AddressSanitizer and UndefinedBehaviorSanitizer. Line tables
# only (-g1): a report's stacks name functions, files and lines (inlined
# frames too) and the build is faster than with full -g.
if(QANTARA_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -g1 -O1 -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  add_library(qantara_tsan_absl SHARED ${CMAKE_SOURCE_DIR}/tests/tsan/absl_tsan.cc)
  target_link_libraries(qantara_tsan_absl PRIVATE ${CMAKE_DL_LIBS})
  link_libraries(qantara_tsan_absl)
elseif(QANTARA_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# QANTARA_FUZZ: every target is instrumented for libFuzzer (coverage) and
# built with ASan and UBSan; the fuzz targets themselves link -fsanitize=fuzzer.
if(QANTARA_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# QANTARA_THREAD_SAFETY (clang only): clang's thread-safety analysis on every
# qantara target, its findings errors. It checks the abseil annotations
# (ABSL_GUARDED_BY, ABSL_EXCLUSIVE_LOCKS_REQUIRED, ...; absl::Mutex is
# annotated, std::mutex is not). The `thread_safety_check` target (top
# CMakeLists.txt) builds every target registered below.
if(QANTARA_THREAD_SAFETY AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "QANTARA_THREAD_SAFETY needs clang: configure with CC=clang CXX=clang++")
endif()

# qantara_target_defaults(<target>)
#   Turns on warnings for one of qantara's own targets (never for generated
#   code), and registers it for `thread_safety_check`.
function(qantara_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  if(QANTARA_THREAD_SAFETY)
    target_compile_options(${target} PRIVATE -Wthread-safety -Werror=thread-safety)
  endif()
  set_property(GLOBAL APPEND PROPERTY QANTARA_TARGETS ${target})
endfunction()

# qantara_test(<name> SOURCES ... LIBS ... [LABELS ...])
#   One gtest binary registered with ctest.
function(qantara_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  qantara_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "QANTARA_SHARED=${CMAKE_SOURCE_DIR}/../shared;QANTARA_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
