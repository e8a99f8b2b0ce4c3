pass ran
