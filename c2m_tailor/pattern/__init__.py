"""Pattern pieces: the model every pattern stage (grade, validate, cut, personalize) shares."""
