/*
 * fuzz_empty: the empty libFuzzer target. LLVMFuzzerTestOneInput does
 * nothing; built with exactly the flags of fuzz_diff (ASan + UBSan,
 * -fsanitize=fuzzer, the same libraries and exports), its exec/s is the
 * ceiling set by libFuzzer and the sanitizers alone: bench/fuzz_speed.sh
 * reports fuzz_diff's exec/s as a share of it.
 */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    (void)data;
    (void)size;
    return 0;
}
