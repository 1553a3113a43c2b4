// Aliases that pointed at a merged-away author now point at the author it became.
// @param old: string  the merged-away author id
// @param new: string  the surviving author id
MATCH (x:Alias)
WHERE x.author = $old
SET x.author = $new
