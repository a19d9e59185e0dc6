#include "master/json_value.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>

namespace reel::master {

class JsonParser {
public:
    explicit JsonParser(std::string_view text) : text_(text) {}

    Result<JsonValue> document() {
        JsonValue value;
        if (auto ok = parseValue(value, 0); !ok) return std::unexpected(ok.error());
        skipSpace();
        if (at_ != text_.size()) return error("unexpected text after the JSON value");
        return value;
    }

private:
    std::unexpected<Error> error(std::string_view what) const {
        int line = 1, column = 1;
        for (std::size_t i = 0; i < at_ && i < text_.size(); ++i) {
            if (text_[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        return fail(ErrorCode::parseError, fmt::format("line {}, column {}: {}", line, column, what));
    }

    void skipSpace() {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) ++at_;
    }

    bool consume(std::string_view word) {
        if (text_.substr(at_, word.size()) != word) return false;
        at_ += word.size();
        return true;
    }

    Result<void> parseValue(JsonValue& out, int depth) {
        if (depth > 64) return error("nested too deeply");
        skipSpace();
        if (at_ >= text_.size()) return error("unexpected end of text; expected a value");
        const char c = text_[at_];
        if (c == '{') return parseObject(out, depth);
        if (c == '[') return parseArray(out, depth);
        if (c == '"') {
            out.kind_ = JsonValue::Kind::string;
            return parseString(out.string_);
        }
        if (consume("true")) {
            out.kind_ = JsonValue::Kind::boolean;
            out.boolean_ = true;
            return {};
        }
        if (consume("false")) {
            out.kind_ = JsonValue::Kind::boolean;
            return {};
        }
        if (consume("null")) return {};
        if (c == '-' || (c >= '0' && c <= '9')) {
            std::size_t end = at_ + 1;
            while (end < text_.size() && (std::string_view("0123456789+-.eE").find(text_[end]) != std::string_view::npos)) ++end;
            double number = 0.0;
            auto [ptr, ec] = std::from_chars(text_.data() + at_, text_.data() + end, number);
            if (ec != std::errc{} || ptr != text_.data() + end) return error("malformed number");
            out.kind_ = JsonValue::Kind::number;
            out.number_ = number;
            at_ = end;
            return {};
        }
        return error(fmt::format("unexpected character '{}'; expected a value", c));
    }

    Result<void> parseString(std::string& out) {
        ++at_;  // the opening quote
        while (at_ < text_.size()) {
            const char c = text_[at_++];
            if (c == '"') return {};
            if (static_cast<unsigned char>(c) < 0x20) return error("control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (at_ >= text_.size()) break;
            const char e = text_[at_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    if (at_ + 4 > text_.size()) return error("short \\u escape");
                    unsigned code = 0;
                    auto [ptr, ec] = std::from_chars(text_.data() + at_, text_.data() + at_ + 4, code, 16);
                    if (ec != std::errc{} || ptr != text_.data() + at_ + 4) return error("malformed \\u escape");
                    at_ += 4;
                    // UTF-8 of a code unit (surrogate pairs are kept as two 3-byte sequences;
                    // profiles hold ASCII names and paths).
                    if (code < 0x80) out += static_cast<char>(code);
                    else if (code < 0x800) {
                        out += static_cast<char>(0xC0 | (code >> 6));
                        out += static_cast<char>(0x80 | (code & 0x3F));
                    } else {
                        out += static_cast<char>(0xE0 | (code >> 12));
                        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
                        out += static_cast<char>(0x80 | (code & 0x3F));
                    }
                    break;
                }
                default: return error("unknown escape in a string");
            }
        }
        return error("unterminated string");
    }

    Result<void> parseArray(JsonValue& out, int depth) {
        out.kind_ = JsonValue::Kind::array;
        ++at_;
        skipSpace();
        if (consume("]")) return {};
        while (true) {
            JsonValue item;
            if (auto ok = parseValue(item, depth + 1); !ok) return ok;
            out.items_.push_back(std::move(item));
            skipSpace();
            if (consume(",")) continue;
            if (consume("]")) return {};
            return error("expected ',' or ']'");
        }
    }

    Result<void> parseObject(JsonValue& out, int depth) {
        out.kind_ = JsonValue::Kind::object;
        ++at_;
        skipSpace();
        if (consume("}")) return {};
        while (true) {
            skipSpace();
            if (at_ >= text_.size() || text_[at_] != '"') return error("expected a member name in double quotes");
            std::string key;
            if (auto ok = parseString(key); !ok) return ok;
            skipSpace();
            if (!consume(":")) return error("expected ':' after a member name");
            JsonValue value;
            if (auto ok = parseValue(value, depth + 1); !ok) return ok;
            out.members_.emplace_back(std::move(key), std::move(value));
            skipSpace();
            if (consume(",")) continue;
            if (consume("}")) return {};
            return error("expected ',' or '}'");
        }
    }

    std::string_view text_;
    std::size_t at_ = 0;
};

Result<JsonValue> JsonValue::parse(std::string_view text) { return JsonParser(text).document(); }

const JsonValue* JsonValue::find(std::string_view key) const {
    for (const auto& [name, value] : members_)
        if (name == key) return &value;
    return nullptr;
}

}  // namespace reel::master
