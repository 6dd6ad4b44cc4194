/*
 * json: a strict JSON (RFC 8259) reader for the report checkers of tests/
 * (sarif_check.c, junit_check.c). It shares nothing with the writers in
 * tools/: the checkers judge vpcert's reports independently. The whole
 * text must be valid UTF-8 (string contents included), keys of an object
 * distinct, and nothing may follow the value but white space.
 */
#ifndef VPCERT_TEST_JSON_H
#define VPCERT_TEST_JSON_H

#include <stddef.h>

enum json_type {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
};

struct json {
    enum json_type type; /* what it is */
    int boolean;         /* JSON_BOOL */
    double number;       /* JSON_NUMBER */
    int integer;         /* JSON_NUMBER: written without '.', 'e', 'E' */
    char *string;        /* JSON_STRING, decoded to UTF-8, NUL-terminated */
    size_t n;            /* JSON_ARRAY, JSON_OBJECT: members */
    struct json *items;  /* their values */
    char **keys;         /* JSON_OBJECT: their keys */
};

/* NULL with "offset N: reason" in err when text is not valid JSON. */
struct json *json_parse(const char *text, size_t len, char *err, size_t errlen);
void json_free(struct json *v);
/* The member of an object named key, or NULL (also when v is no object). */
const struct json *json_get(const struct json *v, const char *key);
/* The string v holds, or NULL when v is NULL or no string. */
const char *json_str(const struct json *v);

#endif /* VPCERT_TEST_JSON_H */
