/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Placeholder: the scenario runner (issue 3).

#include <iostream>

int
main()
{
    std::cerr << "quic-migration-sim: not implemented yet\n";
    return 2;
}
