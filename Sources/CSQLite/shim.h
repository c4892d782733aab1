#ifndef VERBUND_CSQLITE_SHIM_H
#define VERBUND_CSQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast to a function pointer, which Swift cannot import.
static inline sqlite3_destructor_type shim_sqlite_transient(void) { return SQLITE_TRANSIENT; }

#endif
