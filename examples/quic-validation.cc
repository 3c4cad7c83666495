/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Placeholder: filled in by the endpoints work (issue 3).

int
main()
{
    return 0;
}
