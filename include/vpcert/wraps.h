/*
 * wraps: VPCERT_WRAPS marks a function whose unsigned arithmetic wraps
 * modulo 2^N on purpose (hashes, mixing functions), so that UBSan's
 * unsigned-integer-overflow check, which OSS-Fuzz's UBSan build enables,
 * does not report it. Arithmetic that must not wrap is never marked; where
 * vpcert emulates a 32-bit register (the model's QU-6 diagnosis) it
 * computes exactly and then truncates instead.
 *
 * clang only: gcc has no unsigned-integer-overflow check and warns about a
 * sanitizer name it does not know.
 */
#ifndef VPCERT_WRAPS_H
#define VPCERT_WRAPS_H

#if defined(__clang__)
#define VPCERT_WRAPS __attribute__((no_sanitize("unsigned-integer-overflow")))
#else
#define VPCERT_WRAPS
#endif

#endif /* VPCERT_WRAPS_H */
