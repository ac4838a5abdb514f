export default function CategoriesScreen() { return <p>TODO</p>; }
