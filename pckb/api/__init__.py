"""The REST API base: generic CRUD (``crud``), child and action endpoints (``endpoints``), error answers
(``errors``) and authentication (``auth``). ``urls`` wires the project's API from the apps' routers."""
