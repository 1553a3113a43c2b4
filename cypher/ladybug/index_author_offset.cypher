// The LadybugDB node offset of an author (its place in the in-memory author index).
// @param id: string  author id
MATCH (a:Author {id: $id})
RETURN offset(id(a)) AS offset
