// Every recorded identity decision: an author id (or 'id on paper id') and the author it
// now is. There are few: users record them one by one.
MATCH (x:Alias)
RETURN x.id AS id, x.author AS author
