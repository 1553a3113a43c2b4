// Record identity decisions (merges and splits) so that later loads repeat them.
// @param rows: list  {id, author, reason}
UNWIND $rows AS r
CREATE (:Alias {id: r.id, author: r.author, reason: r.reason})
