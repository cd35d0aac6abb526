// Copyright 2026 The hatmatch Authors.
//
// enum_name.h: the printable name of an enumerator, looked up in a table of
// names in declaration order.  For enums whose enumerators run 0, 1, 2, ...
// (no explicit values); a value outside the table prints as "?".  Each
// table sits beside a static_assert that it names every enumerator, so a
// new enumerator without a name fails to compile.

#ifndef HATMATCH_ENGINE_BASE_ENUM_NAME_H_
#define HATMATCH_ENGINE_BASE_ENUM_NAME_H_

#include <cstddef>
#include <string_view>

namespace hatmatch {

template <class Enum, size_t N>
constexpr std::string_view EnumName(Enum value,
                                    const std::string_view (&names)[N]) {
  const auto index = static_cast<size_t>(value);
  return index < N ? names[index] : std::string_view("?");
}

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_BASE_ENUM_NAME_H_
