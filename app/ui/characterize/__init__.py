"""The Characterize page's parts: the grid, its cells, commands, dialogs and side panels."""
