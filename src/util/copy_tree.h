/* Copying a directory tree between two open directory fds ("tmpcopyup"). */
#ifndef BERTH_UTIL_COPY_TREE_H
#define BERTH_UTIL_COPY_TREE_H

#include "util/error.h"

/* Copies everything below src_dir into dst_dir (both O_RDONLY|O_DIRECTORY
 * fds; dst_dir normally empty): directories, regular files, symlinks (as
 * links, never followed), device nodes and fifos, with their owner, mode and
 * times; sockets are left out. dst_dir itself gets src_dir's owner and mode.
 * An owner the caller may not give (EPERM, EINVAL in a user namespace) is
 * left as it comes. Fails on the first entry that cannot be copied. */
int copy_tree(int src_dir, int dst_dir, berth_err **err);

#endif
