#pragma once
// A small writer for the JSON that `--json` prints: objects, arrays, strings, numbers, null.
//
// Numbers that are not finite are written as null (JSON has no inf/NaN). Keys keep the
// order they are added in, so output is stable for golden files and diffs.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reel {

class JsonWriter {
public:
    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    /// Starts a member of the current object; follow with a value or begin*.
    JsonWriter& key(std::string_view name);

    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(double number, int decimals = 6);
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(bool flag);
    JsonWriter& value(std::optional<double> number, int decimals = 6);
    JsonWriter& null();

    const std::string& str() const noexcept { return out_; }

private:
    void separate();
    std::string out_;
    bool needComma_ = false;
};

/// Escapes text for a JSON string (without the quotes).
std::string jsonEscape(std::string_view text);

}  // namespace reel
