"""nbgrader configuration for the course; nbgrader reads it from the course folder."""
c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "intro-deep-learning"
# Instructors write lessons in solutions/; students receive the generated copies in lessons/.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "lessons"
# Only the lesson notebooks are graded; figures and data beside them are copied as they are.
c.CourseDirectory.notebook_id = "*"
