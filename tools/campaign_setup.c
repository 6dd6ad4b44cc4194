/* campaign_setup: everything `vpcert fuzz` prepares before the engine runs:
 * the fuzz_diff binaries and the dictionary, vpcert-work/, the working
 * corpus and its seeds, and the plug-in passed on to every fuzz_diff. */
#include "builtin_corpus.h"
#include "campaign.h"
#include "cli.h"
#include "runner.h"
#include "strf.h"

#define FUZZ_LOAD_SECONDS 10.0 /* to load the plug-in in the check */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int campaign_find(const char *env_name, const char *const rel[], unsigned n,
                  char out[PATH_MAX], char exe_dir[PATH_MAX]) {
    const char *env = getenv(env_name);
    char cand[PATH_MAX + 32];
    strf(exe_dir, PATH_MAX, "<build>");
    if (env && *env) {
        if (access(env, X_OK) == 0 && realpath(env, out))
            return 0;
        fprintf(stderr, "vpcert fuzz: %s=%s is not an executable file\n",
                env_name, cli_show(env));
        return -1;
    }
    ssize_t len = readlink("/proc/self/exe", exe_dir, PATH_MAX - 1);
    if (len <= 0)
        return 1;
    exe_dir[len] = 0;
    char *slash = strrchr(exe_dir, '/');
    if (slash)
        *slash = 0;
    for (unsigned i = 0; i < n; i++) {
        strf(cand, sizeof cand, "%s/%s", exe_dir, rel[i]);
        if (os_is_file(cand) && access(cand, X_OK) == 0 && realpath(cand, out))
            return 0;
    }
    return 1;
}

static int find_fuzzer(struct campaign *c) {
    /* the build tree, beside vpcert, and an installed tree (cmake
     * --install: bin/vpcert, libexec/vpcert/fuzz_diff) */
    static const char *const rel[] = {"fuzzers/fuzz_diff", "fuzz_diff",
                                      "../libexec/vpcert/fuzz_diff"};
    char exe[PATH_MAX];
    int rc = campaign_find("VPCERT_FUZZ_DIFF", rel, 3, c->fuzzer, exe);
    if (rc <= 0)
        return rc;
    fprintf(stderr,
            "vpcert fuzz: the fuzz_diff libFuzzer target is not built (looked "
            "for %s/fuzzers/fuzz_diff).\n"
            "  Build it with clang and -DVPCERT_FUZZERS=ON, e.g.:\n"
            "    cmake --preset default && cmake --build --preset default\n"
            "  or: cmake -S . -B build -DCMAKE_C_COMPILER=clang "
            "-DVPCERT_FUZZERS=ON && cmake --build build\n"
            "  or set VPCERT_FUZZ_DIFF to a fuzz_diff binary.\n",
            exe);
    return -1;
}

/* fuzz_diff.dict beside fuzz_diff, when it is there. */
static void find_dict(struct campaign *c) {
    char dict[PATH_MAX + 16];
    strf(dict, sizeof dict, "%s", c->fuzzer);
    char *slash = strrchr(dict, '/');
    strf(slash + 1, sizeof dict - (size_t)(slash + 1 - dict), "fuzz_diff.dict");
    if (os_is_file(dict))
        strf(c->dict, sizeof c->dict, "%s", dict);
}

/* The plug-in loads, and exports what an implementation must, in a
 * worker process (runner.h): a library that cannot is refused here with
 * one line, before libFuzzer starts. 0, or -1. */
static int check_loads(const struct cli *cl) {
    struct runner r;
    struct runner_config rc = {cl->impl_path,
                               FUZZ_LOAD_SECONDS,
                               2048ull << 20,
                               0,
                               1,
                               1,
                               0,
                               0,
                               NULL,
                               NULL,
                               NULL};
    char err[PATH_MAX + 700], shown[PATH_MAX + 700];
    int rc_start = runner_start(&r, &rc, err, sizeof err);
    runner_stop(&r);
    if (rc_start == 0)
        return 0;
    fprintf(stderr, "vpcert fuzz: %s\n", os_show(err, shown, sizeof shown));
    return -1;
}

/* A plug-in (and its ICS) reach every fuzz_diff child through the
 * environment, as absolute paths: the children run in vpcert-work/. */
static int pass_plugin(const struct cli *cl, struct campaign *c) {
    static const char *const envs[2][2] = {{"VPCERT_IMPL", "--impl"},
                                           {"VPCERT_ICS", "--ics"}};
    const char *paths[2] = {cl->impl_path, cl->ics_path};
    if (paths[0] && strcmp(paths[0], "default") == 0)
        paths[0] = NULL;
    for (int i = 0; i < 2; i++) {
        char abs[PATH_MAX];
        if (!paths[i]) {
            unsetenv(envs[i][0]);
            continue;
        }
        if (!realpath(paths[i], abs)) {
            fprintf(stderr, "vpcert fuzz: %s %s: %s\n", envs[i][1],
                    cli_show(paths[i]), strerror(errno));
            return -1;
        }
        setenv(envs[i][0], abs, 1);
    }
    c->target = paths[0] ? paths[0] : "the built-in shim";
    return paths[0] ? check_loads(cl) : 0;
}

/* --corpus DIR without --merge: DIR is the working corpus, kept. */
static int use_corpus(const struct cli *cl, struct campaign *c) {
    char checked_in[PATH_MAX];
    if (os_path_abs(cl->corpus, c->corpus) != 0) {
        fprintf(stderr, "vpcert fuzz: %s: %s\n", cli_show(cl->corpus),
                strerror(errno));
        return -1;
    }
    if (realpath("corpus", checked_in) &&
        os_path_within(c->corpus, checked_in)) {
        fprintf(stderr,
                "vpcert fuzz: %s is inside the checked-in corpus/; "
                "fuzz in a scratch corpus and add --merge to merge "
                "into it\n",
                cl->corpus);
        return -1;
    }
    if (os_dir_make(c->corpus) != 0) {
        fprintf(stderr, "vpcert fuzz: cannot create %s: %s\n",
                cli_show(cl->corpus), strerror(errno));
        return -1;
    }
    strf(c->corpus_show, sizeof c->corpus_show, "%s", cl->corpus);
    return 0;
}

/* vpcert-work/corpus, emptied: a fresh working corpus. */
static int fresh_corpus(struct campaign *c) {
    if (os_dir_make(WORK_DIR "/corpus") != 0 ||
        os_path_abs(WORK_DIR "/corpus", c->corpus) != 0) {
        fprintf(stderr, "vpcert fuzz: cannot create %s/corpus\n", WORK_DIR);
        return -1;
    }
    os_dir_empty(c->corpus);
    strf(c->corpus_show, sizeof c->corpus_show, "%s/corpus", WORK_DIR);
    return 0;
}

int campaign_setup(const struct cli *cl, struct campaign *c) {
    char err[8];
    if (cl->nargs) {
        fprintf(
            stderr,
            "vpcert fuzz: takes no FILE arguments (see vpcert fuzz --help)\n");
        return -1;
    }
    if (cl->merge && !cl->corpus) {
        fprintf(stderr,
                "vpcert fuzz: --merge needs --corpus DIR, the corpus to "
                "merge into (e.g. --corpus corpus/seeds)\n");
        return -1;
    }
    c->time = cl->time;
    c->jobs = (int)cl->jobs;
    c->engine =
        strcmp(cl->engine, "afl") == 0 ? CAMPAIGN_AFL : CAMPAIGN_LIBFUZZER;
    c->pass = cl->pass;
    c->npass = cl->npass;
    if (pass_plugin(cl, c) != 0 || find_fuzzer(c) != 0 ||
        (c->engine == CAMPAIGN_AFL && campaign_afl_find(c) != 0))
        return -1;
    find_dict(c);
    if (os_dir_make(WORK_DIR "/findings") != 0 ||
        os_path_abs(WORK_DIR, c->work) != 0 ||
        os_path_abs(WORK_DIR "/findings", c->findings) != 0) {
        fprintf(stderr, "vpcert fuzz: cannot create %s/findings: %s\n",
                WORK_DIR, strerror(errno));
        return -1;
    }
    if (cl->corpus && !cl->merge ? use_corpus(cl, c) : fresh_corpus(c))
        return -1;
    os_dir_list(c->findings, &c->known, err, sizeof err);
    return 0;
}

size_t campaign_seed(const struct campaign *c) {
    size_t copied = 0;
    for (size_t i = 0; i < builtin_corpus_count; i++) {
        const struct builtin_file *b = &builtin_corpus[i];
        const char *slash = strchr(b->name, '/');
        int regression = strncmp(b->name, "regressions/", 12) == 0;
        char to[PATH_MAX * 2], err[PATH_MAX + 64];
        /* the binary programs of seeds/ and regressions/ (the fuzzer's
         * bytes; text vectors are not fuzzer inputs) */
        if (!slash || (!regression && strncmp(b->name, "seeds/", 6) != 0) ||
            cli_is_text_program(b->name))
            continue;
        strf(to, sizeof to, "%s/%s-%s", c->corpus,
             regression ? "regression" : "seed", slash + 1);
        if (os_is_file(to) ||
            os_file_write(to, b->data, b->len, err, sizeof err) == 0)
            copied++;
    }
    return copied;
}
