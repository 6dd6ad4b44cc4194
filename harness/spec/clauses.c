/* clauses: the clause table, expanded from clauses.def. */
#include "clauses.h"

#include <string.h>

#define MUST SPEC_MUST
#define SHOULD SPEC_SHOULD
#define MAY SPEC_MAY
#define X(id, level, area, title) {#id, level, #area, title},
static const struct spec_clause clause_table[] = {
#include "clauses.def"
};
#undef X
#undef MUST
#undef SHOULD
#undef MAY

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
