"""Each workspace's product catalogue: lines, aliases, and the words that point to them."""
