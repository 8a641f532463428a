"""The Ratings page: goal and level ratings, the capability chart, and goal decisions."""
