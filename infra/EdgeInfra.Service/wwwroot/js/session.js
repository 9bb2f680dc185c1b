// Who is signed in (GET /me) and the latest status, shared by the views.
export const session = { me: null, status: null };
