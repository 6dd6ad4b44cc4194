/*
 * cli_table: the commands and the options of vpcert. An option a command
 * does not list is refused for it; an option whose default differs between
 * commands has one row per default.
 */
#include "cli_table.h"

#include <stddef.h>

const struct cli_command_def cli_commands[CMD_COUNT] = {
    [CMD_CONFORM] = {"conform", cmd_conform, "[DIR|FILE...]",
                     "run the conformance vectors that apply under the ICS "
                     "(default: the vectors built into vpcert) and print a "
                     "per-clause table",
                     "vpcert conform --ics corpus/shim.ics", NULL},
    [CMD_REPLAY] = {"replay", cmd_replay, "FILE|DIR...",
                    "replay programs, each in a child process under a time "
                    "limit; ends with 'N passed, N failed'",
                    "vpcert replay --impl ./mylib.so --ics mylib.ics "
                    "corpus/regressions",
                    NULL},
    [CMD_FUZZ] = {"fuzz", cmd_fuzz, "[-- ENGINE-FLAGS...]",
                  "run a differential fuzzing campaign (libFuzzer or AFL++) "
                  "against the built-in shim or --impl LIB.so; statistics "
                  "over time in vpcert-work/stats.csv and stats.png",
                  "vpcert fuzz --time 600 --jobs 2 -- -max_len=2048",
                  "flags after -- go to the engine as they are (libFuzzer "
                  "-NAME=VALUE flags; afl-fuzz options)"},
    [CMD_CERTIFY] = {"certify", cmd_certify, "LIB.so",
                     "certify a shared object: a verdict per SPEC clause and "
                     "a report in --out DIR",
                     "vpcert certify --ics mylib.ics --out report ./mylib.so",
                     NULL},
    [CMD_EXPLAIN] = {"explain", cmd_explain, "FILE",
                     "print the program with the model's verdict beside each "
                     "step",
                     "vpcert explain corpus/conformance/"
                     "ab-out-2-failed-out-null.vpt",
                     NULL},
    [CMD_DECODE] = {"decode", cmd_decode, "FILE",
                    "print a binary program in text form",
                    "vpcert decode corpus/seeds/many-live.bin", NULL},
    [CMD_ENCODE] = {"encode", cmd_encode, "FILE",
                    "turn a text program into its binary form",
                    "vpcert encode prog.vpt -o prog.bin", NULL},
};

/* Destinations, each checked against its field's type at compile time (a
 * comparison of distinct pointer types does not compile). */
#define DEST(field, type)                                                      \
    (offsetof(struct cli, field) +                                             \
     0 * sizeof(&((struct cli *)0)->field == (type *)0))
#define FLAG(field) CLI_FLAG, NULL, DEST(field, int), 0, 0
#define PATH(value, field) CLI_PATH, value, DEST(field, const char *), 0, 0
#define SECONDS(field) CLI_SECONDS, "S", DEST(field, double), 0, 0
#define UINT(field, min, max) CLI_UINT, "N", DEST(field, uint64_t), min, max
#define CHOICE(words, field) CLI_CHOICE, words, DEST(field, const char *), 0, 0

/* Every command that runs programs on an implementation. */
#define RUNS (CMD(CONFORM) | CMD(REPLAY) | CMD(EXPLAIN) | CMD(FUZZ))

const struct cli_option cli_options[] = {
    {"impl", 0, PATH("LIB.so", impl_path), RUNS, NULL,
     "the implementation, a shared object (default: the built-in shim)"},
    {"ics", 0, PATH("FILE", ics_path), RUNS | CMD(CERTIFY), NULL,
     "its conformance statement (default: every key at its default)"},
    {"output", 'o', PATH("FILE", out_path), CMD(DECODE) | CMD(ENCODE), NULL,
     "write to FILE (default: standard output)"},
    {"out", 0, PATH("DIR", report_dir), CMD(CERTIFY), "vpcert-report",
     "report directory"},
    {"time", 0, SECONDS(time), CMD(CERTIFY), "100",
     "seconds for the whole run, minimization included"},
    {"time", 0, SECONDS(time), CMD(FUZZ), "60", "seconds of fuzzing"},
    {"seed", 0, UINT(seed, 0, UINT64_MAX), CMD(CERTIFY), "1",
     "seed of the random programs"},
    {"cases", 0, UINT(cases, 0, 4000), CMD(CERTIFY), "300",
     "random programs to run"},
    {"jobs", 0, UINT(jobs, 1, 64), CMD(FUZZ), "1",
     "parallel fuzzer processes; above 1, libFuzzer's fork mode (goes on "
     "past findings) or AFL++ main and secondaries"},
    {"engine", 0, CHOICE("libfuzzer|afl", engine), CMD(FUZZ), "libfuzzer",
     "the fuzzing engine: libFuzzer (fuzz_diff) or AFL++ (afl/fuzz_diff, "
     "built when afl-clang-fast is installed)"},
    {"corpus", 0, PATH("DIR", corpus), CMD(CERTIFY) | CMD(CONFORM), NULL,
     "read the conformance vectors and regressions from DIR/conformance and "
     "DIR/regressions (default: the ones built into vpcert from corpus/)"},
    {"corpus", 0, PATH("DIR", corpus), CMD(FUZZ), NULL,
     "working corpus, kept (default: a fresh vpcert-work/corpus); with "
     "--merge, the corpus merged into"},
    {"merge", 0, FLAG(merge), CMD(FUZZ), NULL,
     "merge the campaign's new inputs into --corpus DIR"},
    {"no-seeds", 0, FLAG(no_seeds), CMD(FUZZ), NULL,
     "start from an empty corpus (no seeds, no regressions)"},
    {"timeout", 0, SECONDS(timeout), CMD(REPLAY) | CMD(CONFORM) | CMD(EXPLAIN),
     "10", "time limit per program, in seconds"},
    {"timeout", 0, SECONDS(timeout), CMD(CERTIFY), "2",
     "time limit per case, in seconds; a case takes milliseconds"},
    {"no-fork", 0, FLAG(no_fork), CMD(REPLAY) | CMD(CONFORM), NULL,
     "run programs in this process (for debuggers)"},
    {"verbose", 'v', FLAG(verbose), CMD(REPLAY) | CMD(CONFORM), NULL,
     "print every program's result"},
    {"quiet", 'q', FLAG(quiet), CMD(REPLAY) | CMD(CONFORM) | CMD(CERTIFY), NULL,
     "print only the summary"},
    {"help", 'h', FLAG(help), CMD_ALL, NULL, "this help"},
    {"version", 0, FLAG(version), CMD_ALL, NULL, "print the version"},
};

const size_t cli_noptions = sizeof cli_options / sizeof cli_options[0];
