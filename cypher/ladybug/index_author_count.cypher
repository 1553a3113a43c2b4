// How many authors there are: a small graph's author index is built at once, a large
// one's in the background (explorer/store/accelerator.py).
MATCH (a:Author)
RETURN count(a) AS authors
