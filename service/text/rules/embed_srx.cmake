# cmake -DIN=qantara.srx -DOUT=builtin_srx.cc -P embed_srx.cmake
# Writes a C++ source defining qantara::text::BuiltinSrx() over the bytes of
# IN (as a hex array, so that no character of the file needs escaping).
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR n "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}" "// Generated from ${IN} by embed_srx.cmake: do not edit.
#include <string_view>

#include \"service/text/segmenter.h\"

namespace qantara::text {
namespace {
const unsigned char kBuiltinSrx[] = {
${bytes}0x00};
}  // namespace

std::string_view BuiltinSrx() { return std::string_view(reinterpret_cast<const char*>(kBuiltinSrx), ${n}); }

}  // namespace qantara::text
")
