"""Pages of the policies module: views parse input, call one service or selector, render."""
