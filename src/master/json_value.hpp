#pragma once
// A small JSON reader for mastering profiles (RFC 8259: objects, arrays, strings, numbers,
// true/false/null). Core has only a writer; profiles are the one JSON that Reel reads.
// Errors say where: "line 3, column 14: expected ',' or '}'". Depth is capped at 64 so a
// hostile file cannot overflow the stack. No exceptions.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace reel::master {

class JsonValue {
public:
    enum class Kind { null, boolean, number, string, array, object };

    /// Parses a whole document; parseError with line and column.
    static Result<JsonValue> parse(std::string_view text);

    Kind kind() const noexcept { return kind_; }
    bool isNumber() const noexcept { return kind_ == Kind::number; }
    bool isString() const noexcept { return kind_ == Kind::string; }
    bool isObject() const noexcept { return kind_ == Kind::object; }
    bool isArray() const noexcept { return kind_ == Kind::array; }
    bool isBool() const noexcept { return kind_ == Kind::boolean; }

    double number() const noexcept { return number_; }
    bool boolean() const noexcept { return boolean_; }
    const std::string& string() const noexcept { return string_; }
    const std::vector<JsonValue>& items() const noexcept { return items_; }
    /// A member of an object, or nullptr.
    const JsonValue* find(std::string_view key) const;
    const std::vector<std::pair<std::string, JsonValue>>& members() const noexcept { return members_; }

private:
    friend class JsonParser;
    Kind kind_ = Kind::null;
    double number_ = 0.0;
    bool boolean_ = false;
    std::string string_;
    std::vector<JsonValue> items_;
    std::vector<std::pair<std::string, JsonValue>> members_;
};

}  // namespace reel::master
