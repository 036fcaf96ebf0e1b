from mod import a,
