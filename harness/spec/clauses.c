/* clauses: the clause table, expanded from clauses.def. */
#include "clauses.h"

#include <string.h>

/* The words of the LEVEL, EXERCISED and CHARGED columns (AREA is taken as
 * written). */
#define MUST SPEC_MUST
#define SHOULD SPEC_SHOULD
#define MAY SPEC_MAY
#define ALWAYS 0u
#define BUFFER SPEC_HAS_BUFFER
#define POOL SPEC_HAS_POOL
#define DISPATCH SPEC_HAS_DISPATCH
#define START SPEC_HAS_START
#define INJECT SPEC_HAS_INJECT
#define DEVICES SPEC_HAS_DEVICES
#define THREADS SPEC_HAS_THREADS
#define X(id, level, area, exercised, charged, title)                          \
    {#id, level, #area, title, exercised, SPEC_CALL_##charged},
static const struct spec_clause clause_table[] = {
#include "clauses.def"
};
#undef X

size_t spec_clause_count(void) {
    return sizeof clause_table / sizeof clause_table[0];
}

const struct spec_clause *spec_clause_at(size_t i) {
    return i < spec_clause_count() ? &clause_table[i] : NULL;
}

int spec_clause_index(const char *id) {
    for (size_t i = 0; id && i < spec_clause_count(); i++)
        if (strcmp(clause_table[i].id, id) == 0)
            return (int)i;
    return -1;
}

const struct spec_clause *spec_clause_find(const char *id) {
    int i = spec_clause_index(id);
    return i < 0 ? NULL : &clause_table[i];
}

const char *spec_level_name(enum spec_level l) {
    switch (l) {
    case SPEC_MUST:
        return "MUST";
    case SPEC_SHOULD:
        return "SHOULD";
    default:
        return "MAY";
    }
}

int spec_exercised_by(const struct spec_clause *c, unsigned has) {
    return c && (c->exercised & ~has) == 0;
}

const struct spec_clause *spec_charged(enum spec_call call) {
    for (size_t i = 0; call != SPEC_CALL_NONE && i < spec_clause_count(); i++)
        if (clause_table[i].charged == call)
            return &clause_table[i];
    return NULL;
}
