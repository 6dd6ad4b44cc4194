/* clauses: the clause table, expanded from clauses.def. */
#include "clauses.h"

#include <string.h>

#define MUST VP_MUST
#define SHOULD VP_SHOULD
#define MAY VP_MAY
#define X(id, level, area, title) {#id, level, #area, title},
static const struct vp_clause clause_table[] = {
#include "clauses.def"
};
#undef X
#undef MUST
#undef SHOULD
#undef MAY

size_t vp_clause_count(void) {
    return sizeof clause_table / sizeof clause_table[0];
}

const struct vp_clause *vp_clause_at(size_t i) {
    return i < vp_clause_count() ? &clause_table[i] : NULL;
}

int vp_clause_index(const char *id) {
    for (size_t i = 0; id && i < vp_clause_count(); i++)
        if (strcmp(clause_table[i].id, id) == 0)
            return (int)i;
    return -1;
}

const struct vp_clause *vp_clause_find(const char *id) {
    int i = vp_clause_index(id);
    return i < 0 ? NULL : &clause_table[i];
}

const char *vp_level_name(enum vp_level l) {
    switch (l) {
    case VP_MUST:
        return "MUST";
    case VP_SHOULD:
        return "SHOULD";
    default:
        return "MAY";
    }
}
