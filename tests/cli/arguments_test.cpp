#include "cli/arguments.hpp"

#include <gtest/gtest.h>

using namespace reel;
using namespace reel::cli;

namespace {
const std::vector<OptionSpec> kOptions = {{"output", 'o', true}, {"json", 0, false}, {"reference", 0, true}};
}

TEST(Arguments, ParsesPositionalsFlagsAndValuesInEveryForm) {
    auto args = Arguments::parse({"song.yaml", "-o", "mix.wav", "--json", "--reference=a.wav", "--reference", "b.wav:2"}, kOptions);
    ASSERT_TRUE(args) << args.error().message;
    EXPECT_EQ(args->positionals(), std::vector<std::string>{"song.yaml"});
    EXPECT_EQ(args->value("output"), "mix.wav");
    EXPECT_TRUE(args->has("json"));
    EXPECT_EQ(args->values("reference"), (std::vector<std::string>{"a.wav", "b.wav:2"}));
    EXPECT_EQ(args->value("reference"), "b.wav:2");  // the last one
    EXPECT_TRUE(args->values("nothing").empty());
}

TEST(Arguments, RejectsWhatACommandDoesNotTake) {
    EXPECT_FALSE(Arguments::parse({"--frobnicate"}, kOptions));
    EXPECT_FALSE(Arguments::parse({"-x"}, kOptions));
    EXPECT_FALSE(Arguments::parse({"--json=yes"}, kOptions));
    EXPECT_FALSE(Arguments::parse({"-o"}, kOptions));
}

TEST(Arguments, IntegerOptionsAreRangeChecked) {
    auto args = Arguments::parse({"-o", "12x"}, kOptions);
    ASSERT_TRUE(args);
    EXPECT_FALSE(args->integer("output", 1, 100));
    auto ok = Arguments::parse({"-o", "42"}, kOptions);
    EXPECT_EQ(*ok->integer("output", 1, 100), 42);
    EXPECT_FALSE(ok->integer("output", 1, 10));
}
